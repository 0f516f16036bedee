/**
 * How the package's JavaScript is minified when built (tsup.config.ts), and so how bench/ builds
 * what it measures: whitespace and syntax, never identifiers, so a stack trace still names
 * `validateOperation` or `validate21`.
 * V8 compiles every bundled line at load: in a warm process dist/index.cjs compiled in 7.0 ms as
 * printed and 5.9 ms minified so (README, Performance), most of the saving in the generated
 * validators. generated/ itself stays readable, so a contract change still reviews as a diff.
 */
export const shippedMinify = { minifyWhitespace: true, minifySyntax: true } as const;
