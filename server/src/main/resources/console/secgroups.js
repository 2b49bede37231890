// Security groups: list with their rules (any role, its projects'); create one, add or remove one rule, let a VM join
// or leave, delete one without members (operators and admins). The same REST routes as `polyvisor secgroup ...`.
// Rules read as the CLI writes them: "tcp:22 from 10.0.0.0/8" (ingress), "egress udp:53 to 10.1.0.0/24".
import { del, post } from './api.js';
import { form, input, optional, projectInput, select, twoPress } from './resource-kit.js';

export const ID = 'secgroups';
export const TITLE = 'Security groups';
export const PATH = '/api/v1/secgroups';
export const LISTS = 'read';
export const ACTS = 'operate';

const ruleText = (r) => (r.direction === 'egress' ? `egress ${r.allow} to ${r.to}` : `${r.allow} from ${r.from}`);

export const headers = () => ['Name', 'Project', 'Rules'];

export const cells = (g) => [g.name, g.project, g.rules.map(ruleText).join('; ') || 'none: nothing in, everything out'];

export function forms(ctx) {
  const name = input('secgroup-name');
  const project = projectInput('secgroup-project', ctx.me);
  const group = select('secgroup-rule-group');
  const change = select('secgroup-rule-change', [['add', 'add'], ['remove', 'remove']]);
  const direction = select('secgroup-rule-direction', [['ingress', 'ingress (from)'], ['egress', 'egress (to)']]);
  const allow = input('secgroup-rule-allow', { placeholder: 'tcp:22, udp:53, icmp, any' });
  const peer = input('secgroup-rule-peer', { placeholder: '10.0.0.0/24 or secgroup:NAME' });
  const member = select('secgroup-member-group');
  const vm = input('secgroup-member-vm', { placeholder: 'a VM of the group\'s project' });
  const joins = select('secgroup-member-change', [['join', 'joins'], ['leave', 'leaves']]);
  return {
    nodes: [
      form('secgroup-create-form', [['Name', name], ['Project', project]], 'Create group', () =>
        ctx.act(() => post(PATH, optional({ name: name.value.trim() }, 'project', project.value.trim())))),
      form('secgroup-rule-form', [['Group', group], ['Change', change], ['Direction', direction], ['Allow', allow], ['From / to', peer]],
        'Apply rule', () => {
          const rule = { direction: direction.value, allow: allow.value.trim() };
          optional(rule, direction.value === 'egress' ? 'to' : 'from', peer.value.trim());
          const path = `${PATH}/${encodeURIComponent(group.value)}/rules${change.value === 'remove' ? '/remove' : ''}`;
          return ctx.act(() => post(path, rule));
        }),
      form('secgroup-member-form', [['Group', member], ['VM', vm], ['Joins or leaves', joins]], 'Apply', () => {
        const at = `${PATH}/${encodeURIComponent(member.value)}/members`;
        return ctx.act(() => (joins.value === 'leave' ? del(`${at}/${encodeURIComponent(vm.value.trim())}`) : post(at, { vm: vm.value.trim() })));
      }),
    ],
    update(data) {
      const names = data.secgroups.map((g) => g.name);
      group.fill(names);
      member.fill(names);
    },
  };
}

export function actions(g, ctx) {
  return twoPress(ctx.pending, 'delete', g.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${g.name}`, () => del(`${PATH}/${encodeURIComponent(g.name)}`)));
}
