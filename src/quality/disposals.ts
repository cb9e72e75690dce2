// Which special conditions each recommended disposal can carry. Project data for review by the OM's legal
// staff: our reading of the disposals, not a legal source. `required`: the disposal means nothing without a
// condition (a conditional dismissal with no conditions is a plain dismissal); `allowed`: 'any', or the list.

export interface DisposalConditions {
  required: boolean;
  allowed: 'any' | readonly string[];
}

export const DISPOSAL_CONDITIONS: Record<string, DisposalConditions> = {
  // An unconditional dismissal carries no conditions. A Halt assignment may include repairing or paying for the
  // damage (Halt's "schade vergoeden"), nothing else.
  sepot: { required: false, allowed: [] },
  halt: { required: false, allowed: ['schadevergoeding'] },
  'voorwaardelijk-sepot': { required: true, allowed: 'any' },
  // A behavioural order (gedragsaanwijzing, art. 257a Sv) is its conditions.
  'strafbeschikking-gedragsaanwijzing': {
    required: true,
    allowed: ['contactverbod', 'locatieverbod', 'meldplicht', 'ambulante-behandeling', 'gedragsinterventie', 'schadevergoeding'],
  },
  'strafbeschikking-taakstraf': { required: false, allowed: ['schadevergoeding'] },
  'strafbeschikking-geldboete': { required: false, allowed: ['schadevergoeding'] },
  // Conditions proposed for the court (a conditional sentence) or the examining judge (suspended detention).
  dagvaarding: { required: false, allowed: 'any' },
  'voorgeleiding-rc': { required: false, allowed: 'any' },
  'verwijzing-zorg': { required: false, allowed: ['ambulante-behandeling', 'klinische-opname', 'begeleid-wonen', 'gedragsinterventie'] },
};
