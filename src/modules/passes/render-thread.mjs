// Entry of the rendering thread (renderer.ts): loads the TypeScript thread body through tsx, as the process does.
import { tsImport } from 'tsx/esm/api';

await tsImport('./render-thread.ts', import.meta.url);
