// Elastic groups: list (any role, its projects'); create, change min/max/target/warm pool, set desired by hand (groups
// without a target), delete (operators and admins, in their projects).
import { del, post, put } from './api.js';
import { form, input, number, optional, projectInput, select, twoPress } from './resource-kit.js';

export const ID = 'groups';
export const TITLE = 'Elastic groups';
export const PATH = '/api/v1/groups';
export const LISTS = 'read';
export const ACTS = 'operate';

export const headers = () => ['Name', 'Project', 'State', 'Desired', 'Min', 'Max', 'Target', 'Members', 'Endpoint'];

export const cells = (g) => [g.name, g.project, g.state, g.desired, g.min, g.max, g.target || 'by hand',
  `${g.members} (${g.in_rotation} in rotation)`, g.endpoint];

export function forms(ctx) {
  const name = input('group-name');
  const memory = input('group-memory', { placeholder: '256M' });
  const vcpus = input('group-vcpus', { inputmode: 'numeric', placeholder: '1' });
  const port = input('group-port', { inputmode: 'numeric', placeholder: '80' });
  const min = input('group-min', { inputmode: 'numeric', placeholder: '1' });
  const max = input('group-max', { inputmode: 'numeric' });
  const target = input('group-target', { placeholder: 'cpu=60, rps=100, metric:q=10 or empty' });
  const project = projectInput('group-project', ctx.me);
  const image = input('group-image', { placeholder: 'a disk image file on the server (none: no boot media)' });
  const warm = input('group-warm', { inputmode: 'numeric', placeholder: '0' });
  const outWindow = input('group-scale-out-window', { inputmode: 'numeric', placeholder: '0' });
  const inWindow = input('group-scale-in-window', { inputmode: 'numeric', placeholder: '300' });
  const health = input('group-health-path', { placeholder: '/' });
  const listen = input('group-listen-port', { inputmode: 'numeric', placeholder: 'a free one' });
  const newWarm = input('group-update-warm', { inputmode: 'numeric', placeholder: 'kept' });
  const which = select('group-update-name');
  const newMin = input('group-update-min', { inputmode: 'numeric', placeholder: 'kept' });
  const newMax = input('group-update-max', { inputmode: 'numeric', placeholder: 'kept' });
  const newTarget = input('group-update-target', { placeholder: 'kept; none: by hand' });
  const desired = input('group-update-desired', { inputmode: 'numeric', placeholder: 'kept' });
  return {
    nodes: [
      form('group-create-form', [['Name', name], ['Memory', memory], ['vCPUs', vcpus], ['Port', port], ['Min', min], ['Max', max],
        ['Target', target], ['Project', project], ['Boot image', image], ['Warm pool', warm], ['Scale-out window (s)', outWindow],
        ['Scale-in window (s)', inWindow], ['Health path', health], ['Endpoint port', listen]], 'Create group', () => {
        const body = { name: name.value.trim() };
        for (const [key, value] of [['memory', memory.value.trim()], ['vcpus', number(vcpus)], ['port', number(port)],
          ['min', number(min)], ['max', number(max)], ['target', target.value.trim()], ['project', project.value.trim()],
          ['warm', number(warm)], ['scale_out_window_s', number(outWindow)], ['scale_in_window_s', number(inWindow)],
          ['health_path', health.value.trim()], ['listen_port', number(listen)]]) {
          optional(body, key, value);
        }
        if (image.value.trim()) body.boot = { image: image.value.trim() };
        return ctx.act(() => post(PATH, body));
      }),
      // min, max and target through PUT; desired through POST .../scale (what `group update` and `group scale` call)
      form('group-update-form', [['Group', which], ['Min', newMin], ['Max', newMax], ['Target', newTarget], ['Warm pool', newWarm], ['Desired', desired]],
        'Change group', () => ctx.act(async () => {
          const ref = `${PATH}/${encodeURIComponent(which.value)}`;
          const body = {};
          optional(body, 'min', number(newMin));
          optional(body, 'max', number(newMax));
          optional(body, 'target', newTarget.value.trim());
          optional(body, 'warm', number(newWarm));
          if (Object.keys(body).length || number(desired) === '') await put(ref, body);
          if (number(desired) !== '') await post(`${ref}/scale`, { desired: number(desired) });
        })),
    ],
    update(data) { which.fill(data.groups.map((g) => g.name)); },
  };
}

export function actions(g, ctx) {
  return twoPress(ctx.pending, 'delete', g.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${g.name}`, () => del(`${PATH}/${encodeURIComponent(g.name)}`)));
}
