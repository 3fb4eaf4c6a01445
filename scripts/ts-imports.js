// Lets Node run a script that loads the tests' harness and src/ as they are written for the
// TypeScript compiler: an import of `x.js` that does not exist is `x.ts`. Used with --import by
// the benchmarks that load such modules (and --experimental-transform-types for their syntax).
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.endsWith('.js')) throw error
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
  }
})
