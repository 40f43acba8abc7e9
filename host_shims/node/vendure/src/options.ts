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
  // ordercare's `source` for the events the plugin submits.
  source?: string;
}
