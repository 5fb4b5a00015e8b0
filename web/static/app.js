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

// moj.initAll leaves the filter toggle out: without it a phone shows the filter as a full-screen
// panel with no way to close it. With it, a phone gets "Show filter" and a Close button; wider
// screens keep the filter open beside the list.
const filterBesideList = '(min-width: 48.0625em)';
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new moj.FilterToggleButton(filter, {
    bigModeMediaQuery: filterBesideList,
    // The component hides the filter after sizing it up: only a phone should start without it.
    startHidden: !window.matchMedia(filterBesideList).matches,
    toggleButtonContainer: { selector: '.moj-action-bar__filter' },
    closeButtonContainer: { selector: '.moj-filter__header-action' },
  });
}

// A region whose content is still changing (a payment the PSP has not confirmed yet) is marked
// data-module="app-refresh", with data-app-state and data-app-final. This page is fetched
// again, less often as time goes on, and the region replaced (and so announced, being
// aria-live) only when its state changes, until the server marks it final. Without JavaScript
// the region's own 'Check again' link does the same.
const refreshFirstMs = 2_000;
const refreshMaxMs = 10_000;

function showNotes(region) {
  for (const note of region.querySelectorAll('[data-app-refresh-note]')) note.hidden = false;
}

function keepRefreshed(region) {
  let waitMs = refreshFirstMs;
  const again = async () => {
    try {
      const response = await fetch(window.location.href, {
        headers: { Accept: 'text/html' },
        cache: 'no-store',
      });
      // Sent to sign in (the session ended): stop, and leave the 'Check again' link.
      if (response.redirected) return;
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const next = response.ok ? page.getElementById(region.id) : null;
      if (next !== null && next.dataset.appState !== region.dataset.appState) {
        region.innerHTML = next.innerHTML;
        region.dataset.appState = next.dataset.appState;
        region.dataset.appFinal = next.dataset.appFinal;
        document.title = page.title;
        showNotes(region);
      }
    } catch {
      // A network blip: try again later.
    }
    if (region.dataset.appFinal === 'true') return;
    waitMs = Math.min(waitMs * 1.5, refreshMaxMs);
    setTimeout(again, waitMs);
  };
  showNotes(region);
  setTimeout(again, waitMs);
}

for (const region of document.querySelectorAll('[data-module="app-refresh"]')) {
  if (region.dataset.appFinal !== 'true') keepRefreshed(region);
}
