export const ORDERCARE_OPTIONS = Symbol('ORDERCARE_OPTIONS');

export interface OrdercareOptions {
  // Path of libordercare.so (or libordercare.so.1 once installed).
  library: string;
  // ordercare's config (abi/ABI.md): at least `store`. The plugin adds
  // `outbox.base_backoff: "1s"` unless given (see README, Vendure).
  config: Record<string, any>;
  // The plain Node shim; by default the one beside this package.
  shimPath?: string;
  // How often the plugin runs ordercare's callbacks (oc_poll), in ms.
  pollIntervalMs?: number;
  // Whether Vendure takes ordercare's order actions (ABI 1.3): a cancel is
  // done in Vendure, the rest (reship, exchange, label, offer) answered
  // REJECTED, which escalates their case. False leaves every order action
  // to a team as a task, as for a host without the callback. Default true.
  orderActions?: boolean;
}
