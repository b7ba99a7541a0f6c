export { actions, can, canChangeMembership, isAction, isRole, roles, type Action, type Role } from './permissions.js';
