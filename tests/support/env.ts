// What the global setup (tests/setup/global.ts) hands to every test file.
import { inject } from 'vitest';

export interface TestEnv {
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl: string;
  temporalCliPath: string;
  databaseUrl: string;
}

declare module 'vitest' {
  // Typed `provide`/`inject`: a key renamed on one side fails the type check on the other.
  export interface ProvidedContext extends TestEnv {}
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
