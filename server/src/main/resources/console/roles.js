// What the signed-in principal may do, as the API decides it (docs/SECURITY.md, access.Role#allows):
// viewer reads its projects' VMs, tasks, networks, volumes, groups, templates and security groups, and every image;
// operator also acts on its projects' objects; admin does everything (images are imported and deleted by admins).
// The console uses this only to leave out what the role cannot use; the API refuses it anyway.

const RANK = { viewer: 0, operator: 1, admin: 2 };
const NEEDS = { read: 0, operate: 1, admin: 2 };

/** True when me (GET /api/v1/whoami) has the permission ('read', 'operate' or 'admin'). */
export function can(me, permission) {
  return !!me && (RANK[me.role] ?? -1) >= NEEDS[permission];
}

/** The views me may open (host and vm: one item's page). */
export function views(me) {
  return can(me, 'admin') ? ['dashboard', 'hosts', 'vms', 'ha', 'balance', 'resources', 'settings', 'events', 'host', 'vm']
    : ['dashboard', 'vms', 'resources', 'events', 'vm'];
}
