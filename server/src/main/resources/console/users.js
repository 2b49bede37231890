// Users (admins): list; create with a role and projects, rotate a token, revoke. The token of a create or rotate is
// in the API's answer this once: the page shows it in a notice until dismissed (or the view is left), never stores it.
import { h } from './dom.js';
import { post } from './api.js';
import { form, input, optional, select, twoPress } from './resource-kit.js';

export const ID = 'users';
export const TITLE = 'Users';
export const PATH = '/api/v1/users';
export const LISTS = 'admin';
export const ACTS = 'admin';

export const headers = () => ['Name', 'Role', 'Projects', 'State', 'Expires'];

export const cells = (u) => [u.name, u.role, u.projects.join(', '), u.state, u.expires || 'never'];

/** Shows a new token once, with what it is for; Dismiss removes it from the page. */
function showToken(notice, answer, what) {
  const token = h('code', { id: 'token-value' }, answer.token);
  notice.replaceChildren(
    h('p', {}, h('strong', {}, `${what} ${answer.user.name}'s token: `), token),
    h('p', {}, 'Copy it now: it is shown this once and cannot be shown again. ',
      answer.user.name, ' signs in to the console or sets POLYVISOR_TOKEN with it.'),
    h('button', { type: 'button', id: 'token-dismiss', onclick: () => { notice.replaceChildren(); notice.hidden = true; } }, 'Dismiss'));
  notice.hidden = false;
}

export function forms(ctx) {
  const notice = h('div', { id: 'token-notice', class: 'notice', role: 'status', hidden: true });
  const name = input('user-name');
  const role = select('user-role', ['viewer', 'operator', 'admin']);
  const projects = input('user-projects', { placeholder: 'web, shop (not for admins)', list: 'project-names' });
  const expires = input('user-expires', { placeholder: 'e.g. 90d (default: until revoked)' });
  ctx.showToken = (answer, what) => showToken(notice, answer, what);
  return {
    nodes: [
      form('user-create-form', [['Name', name], ['Role', role], ['Projects', projects], ['Token expires after', expires]], 'Create user',
        async () => {
          const body = { name: name.value.trim(), role: role.value };
          const list = projects.value.split(',').map((p) => p.trim()).filter(Boolean);
          if (list.length) body.projects = list;
          optional(body, 'expires', expires.value.trim());
          ctx.showToken(await ctx.act(() => post(PATH, body)), 'New user');
        }),
      notice,
    ],
  };
}

export function actions(u, ctx) {
  const ref = `${PATH}/${encodeURIComponent(u.name)}`;
  if (u.state === 'revoked') return [];
  return [
    ...twoPress(ctx.pending, 'rotate', u.name, 'Rotate token', ctx.redraw,
      () => ctx.run(`rotate ${u.name}`, async () => ctx.showToken(await post(`${ref}/rotate`, {}), 'Rotated: user'))),
    ...twoPress(ctx.pending, 'revoke', u.name, 'Revoke', ctx.redraw, () => ctx.run(`revoke ${u.name}`, () => post(`${ref}/revoke`, {}))),
  ];
}
