// The part of the WebAssembly JavaScript API that logistic-core.ts uses: Node has all of it, but
// its types live in TypeScript's DOM library, which a Node package does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  class Global {
    readonly value: unknown;
  }
}
