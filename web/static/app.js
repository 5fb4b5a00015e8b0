// Progressive enhancement only: every screen works without JavaScript. The design systems'
// ES modules are loaded with this file's own ?v= cache-busting query, so an upgrade reaches
// browsers that cached the old files for a year.
const version = new URL(import.meta.url).search;

const [govuk, moj] = await Promise.all([
  import(`/assets/govuk/govuk-frontend.min.js${version}`),
  import(`/assets/moj/moj-frontend.min.js${version}`),
]);

govuk.initAll();
moj.initAll();
