/**
 * Finds `{Macro}` placeholders in template text. Anything in braces up to 64 characters without
 * quotes, braces or line breaks counts, spaces included, so that the broken `{DeltaAmo unt}` of
 * impact.com's published example (facts §4.1, S8) is reported instead of passing as text.
 */
export interface MacroToken {
  /** Text between the braces, as written. */
  readonly name: string;
  /** Offset of "{" in the scanned text. */
  readonly offset: number;
  readonly length: number;
}

const TOKEN = /\{([^{}"\\\r\n]{1,64})\}/g;

export function scanMacros(text: string, baseOffset = 0): MacroToken[] {
  const found: MacroToken[] = [];
  for (const match of text.matchAll(TOKEN)) {
    found.push({ name: match[1] as string, offset: baseOffset + match.index, length: match[0].length });
  }
  return found;
}

/** A well-formed macro name: PascalCase letters and digits (facts §1: `{CampaignId}`, `{SubId1}`). */
export const MACRO_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
