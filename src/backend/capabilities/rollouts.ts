/**
 * Canary and guarded flag rollouts. The slot is declared so that features and backends
 * can add the methods as the rollouts API lands; a backend that has no rollouts leaves
 * the capability out and the UI hides its pages.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a slot that grows with its API
export interface RolloutsCapability {}
