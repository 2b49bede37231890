// Private networks: list (any role, its projects'); create and delete (operators and admins, in their projects).
import { del, post } from './api.js';
import { form, input, optional, projectInput, twoPress } from './resource-kit.js';

export const ID = 'networks';
export const TITLE = 'Networks';
export const PATH = '/api/v1/networks';
export const LISTS = 'read';
export const ACTS = 'operate';

export const headers = () => ['Name', 'Project', 'CIDR', 'Gateway', 'DHCP', 'VNI', 'MTU'];

export const cells = (n) => [n.name, n.project, n.cidr, n.gateway, n.dhcp ? 'on' : 'off', n.vni, n.mtu];

export function forms(ctx) {
  const name = input('network-name');
  const cidr = input('network-cidr', { placeholder: '10.0.0.0/24' });
  const gateway = input('network-gateway', { placeholder: 'default: first address' });
  const dhcp = input('network-dhcp', { type: 'checkbox' });
  const project = projectInput('network-project', ctx.me);
  return {
    nodes: [form('network-create-form', [['Name', name], ['CIDR', cidr], ['Gateway', gateway], ['DHCP', dhcp], ['Project', project]],
      'Create network', () => {
        const body = { name: name.value.trim(), cidr: cidr.value.trim(), dhcp: dhcp.checked };
        optional(body, 'gateway', gateway.value.trim());
        optional(body, 'project', project.value.trim());
        return ctx.act(() => post(PATH, body));
      })],
  };
}

export function actions(n, ctx) {
  return twoPress(ctx.pending, 'delete', n.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${n.name}`, () => del(`${PATH}/${encodeURIComponent(n.name)}`)));
}
