// The roles a client can hold. Routes name the roles they accept (src/http/access.ts). A `receiver` reads the pull
// feed of the recipients its client declaration names (`recipients`), no others.
export const ROLES = ['submit-advice', 'submit-case-events', 'lookup', 'privacy-officer', 'ops', 'receiver'] as const;
export type Role = (typeof ROLES)[number];
