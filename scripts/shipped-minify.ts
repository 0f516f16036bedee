/**
 * How the package's JavaScript is minified when built (tsup.config.ts), and so how bench/ builds
 * what it measures: whitespace and syntax, never identifiers, so a stack trace still names
 * `validateOperation` or `validate21`.
 * V8 compiles every bundled line at load: compiling what a receiver bundles for its first
 * validation took 3.1–3.7 ms printed and 2.3–2.7 ms minified so (warm process, README,
 * Performance); the generated validators alone, 2.6 and 1.7 ms. generated/ itself stays
 * readable, so a contract change still reviews as a diff.
 */
export const shippedMinify = { minifyWhitespace: true, minifySyntax: true } as const;
