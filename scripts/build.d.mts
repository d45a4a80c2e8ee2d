// Types for scripts/build.mjs (plain ESM so that `npm start` runs it without a TypeScript loader).
export const OUTPUTS: string[];
export const STAMP_FILE: string;
export function inputStamp(root?: string): string;
export function buildReason(state: { stamp: string; storedStamp: string | undefined; missingOutputs: string[] }): string | null;
export function checkBuild(root?: string): { stamp: string; reason: string | null };
export function buildServer(options?: { root?: string; outdir?: string }): Promise<void>;
