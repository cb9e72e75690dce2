// The roles a client can hold. Routes name the roles they accept (src/http/access.ts).
export const ROLES = ['submit-advice', 'submit-case-events', 'lookup', 'privacy-officer', 'ops'] as const;
export type Role = (typeof ROLES)[number];
