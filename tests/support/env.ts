// What the global setup (tests/setup/global.ts) hands to every test file.
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    temporalUiUrl: string;
    temporalCliPath: string;
    databaseUrl: string;
  }
}

export interface TestEnv {
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl: string;
  temporalCliPath: string;
  databaseUrl: string;
}

/** The shared Temporal dev server and the per-run test database. */
export function testEnv(): TestEnv {
  return {
    temporalAddress: inject('temporalAddress'),
    temporalNamespace: inject('temporalNamespace'),
    temporalUiUrl: inject('temporalUiUrl'),
    temporalCliPath: inject('temporalCliPath'),
    databaseUrl: inject('databaseUrl'),
  };
}
