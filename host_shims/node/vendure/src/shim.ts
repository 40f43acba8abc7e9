// Loads the plain Node shim (host_shims/node/ordercare.js) from this
// package. The shim requires 'koffi' from its own folder, which has no
// node_modules of its own here: this package's node_modules is added to
// Node's global search paths first, so the shim finds the koffi this
// package pinned.
import path from 'path';

export interface ShimPlugin {
  submit(event: object | string): any;
  call(method: string, args?: object): any;
  poll(max?: number): number;
  close(): void;
}

export type Answer = string | [string, object | null];
export type Effect = (request: any, key: string, attempt: number) => Answer;

export interface Shim {
  Plugin: new (
    config: object,
    callbacks: Record<string, Effect | ((level: number, message: string) => void)>,
    options: { library: string },
  ) => ShimPlugin;
}

export function loadShim(shimPath: string): Shim {
  const nodeModules = path.dirname(path.dirname(require.resolve('koffi/package.json')));
  const Module = require('module');
  const paths: string[] = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!paths.includes(nodeModules)) {
    process.env.NODE_PATH = [nodeModules, ...paths].join(path.delimiter);
    Module._initPaths();
  }
  return require(shimPath) as Shim;
}
