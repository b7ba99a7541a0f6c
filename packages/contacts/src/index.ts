export type { Contact, ContactFlags, ContactInput, ContactPersonalFields } from './contact.js';
export { contactIndexPurposes, createContactStore, type ContactStore, type ContactStoreDependencies } from './contact-store.js';
