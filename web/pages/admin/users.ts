import type { Request, Response } from 'express';
import type { ApiContext } from '../../../api/context';
import { apiFor } from '../../api';
import { type FormErrors, noErrors } from '../../forms';
import { field, getPage, type Page, param, postPage } from '../../page';
import { render } from '../../render';
import { submitForm } from '../../submit';
import { type Section, text, type Values } from './fields';
import {
  type FormState,
  fieldMap,
  formView,
  type Mode,
  noticeOf,
  readPosted,
  savedNotice,
  toggleReasonInput,
  valuesFromView,
} from './form';
import { fundGroupsOf, grantFields, grantLookups } from './grants';

/** Staff accounts: add, change, disable or enable, and set a password. */

const userSections: Section[] = [
  {
    fields: [
      text('username', 'Username', {
        required: 'Enter the username',
        createOnly: true,
        hint: 'Letters, digits, ".", "_", "@" or "-"',
        classes: 'govuk-input--width-20',
      }),
      text('displayName', 'Full name', { required: 'Enter their full name' }),
      text('email', 'Email address', { hint: 'Optional' }),
      {
        id: 'password',
        api: 'password',
        label: 'Password',
        kind: 'password',
        createOnly: true,
        hint: 'Leave empty if they sign in with their council account',
      },
    ],
  },
  { fields: grantFields },
];

type User = {
  userId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  fundGroups: string[] | null;
};

function userValues(user: User | null): Values {
  const values = valuesFromView(userSections, user);
  if (user !== null && user.fundGroups === null) values.fundGroups = ['*'];
  return values;
}

async function userForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  mode: Mode,
  state?: FormState,
) {
  const api = apiFor(ctx, req, res);
  const userId = param(req, 'userId');
  const [user, lookups] = await Promise.all([
    mode === 'edit' ? api<User>('getUser', { params: { userId } }) : Promise.resolve(null),
    grantLookups(api),
  ]);
  const values = state?.values ?? userValues(user);
  render(
    res,
    'admin/user-form.njk',
    {
      mode,
      user,
      ...formView(userSections, values, lookups, state?.errors ?? noErrors, mode),
      notice: noticeOf(req.query),
    },
    state?.status ?? 200,
  );
}

async function saveUser(ctx: ApiContext, req: Request, res: Response, mode: Mode) {
  const { values, body, errors } = readPosted(userSections, req.body, mode);
  fundGroupsOf(body);
  if (mode === 'edit' && body.email === undefined) body.email = null;
  await submitForm<User>(ctx, req, res, {
    checks: errors,
    operationId: mode === 'create' ? 'createUser' : 'updateUser',
    input: mode === 'create' ? { body } : { params: { userId: param(req, 'userId') }, body },
    fields: fieldMap(userSections, { 'params.userId': 'displayName' }),
    again: (errors, status) => userForm(ctx, req, res, mode, { values, errors, status }),
    redirect: (saved) => `/configuration/users/${saved.userId}?notice=${savedNotice(mode)}`,
  });
}

async function toggleUser(ctx: ApiContext, req: Request, res: Response, disabled: boolean) {
  const api = apiFor(ctx, req, res);
  const userId = param(req, 'userId');
  const reason = field(req.body, 'toggleReason');
  await submitForm(ctx, req, res, {
    operationId: 'updateUser',
    input: { params: { userId }, body: reason === '' ? { disabled } : { disabled, reason } },
    fields: toggleReasonInput,
    // The refused button sits on the change form, shown as stored (not as last typed).
    again: async (errors, status) => {
      const user = await api<User>('getUser', { params: { userId } });
      await userForm(ctx, req, res, 'edit', { values: userValues(user), errors, status });
    },
    redirect: `/configuration/users/${userId}?notice=${disabled ? 'disabled' : 'enabled'}`,
  });
}

async function passwordForm(
  ctx: ApiContext,
  req: Request,
  res: Response,
  state?: { errors: FormErrors; status: number },
) {
  const user = await apiFor(
    ctx,
    req,
    res,
  )<User>('getUser', { params: { userId: param(req, 'userId') } });
  render(
    res,
    'admin/user-password.njk',
    { user, errors: state?.errors ?? noErrors },
    state?.status ?? 200,
  );
}

async function setPassword(ctx: ApiContext, req: Request, res: Response) {
  const userId = param(req, 'userId');
  const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
  const reason = field(req.body, 'reason');
  await submitForm(ctx, req, res, {
    checks: [password === '' && { input: 'password', message: 'Enter the new password' }],
    operationId: 'updateUser',
    input: { params: { userId }, body: reason === '' ? { password } : { password, reason } },
    fields: {
      inputs: { 'body.password': 'password', 'body.reason': 'reason' },
      labels: { password: 'Password', reason: 'Reason' },
    },
    again: (errors, status) => passwordForm(ctx, req, res, { errors, status }),
    redirect: `/configuration/users/${userId}?notice=password`,
  });
}

export function userPages(ctx: ApiContext): Page[] {
  const access = { permission: 'configure' } as const;
  return [
    getPage('/configuration/users', access, 'Users', async (req, res) => {
      const users = await apiFor(ctx, req, res)<{ items: User[] }>('listUsers');
      render(res, 'admin/users.njk', { users: users.items, notice: noticeOf(req.query) });
    }),
    getPage('/configuration/users/new', access, 'Add a user', (req, res) =>
      userForm(ctx, req, res, 'create'),
    ),
    postPage('/configuration/users/new', access, (req, res) => saveUser(ctx, req, res, 'create')),
    getPage('/configuration/users/:userId', access, 'Change a user', (req, res) =>
      userForm(ctx, req, res, 'edit'),
    ),
    postPage('/configuration/users/:userId', access, (req, res) => saveUser(ctx, req, res, 'edit')),
    getPage('/configuration/users/:userId/password', access, 'Set a password', (req, res) =>
      passwordForm(ctx, req, res),
    ),
    postPage('/configuration/users/:userId/password', access, (req, res) =>
      setPassword(ctx, req, res),
    ),
    postPage('/configuration/users/:userId/disable', access, (req, res) =>
      toggleUser(ctx, req, res, true),
    ),
    postPage('/configuration/users/:userId/enable', access, (req, res) =>
      toggleUser(ctx, req, res, false),
    ),
  ];
}
