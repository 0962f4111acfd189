export type FloodResult = Record<string, never>;
export async function runDigestFlood(_: unknown): Promise<FloodResult> { return {}; }
