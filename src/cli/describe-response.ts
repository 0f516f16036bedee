/**
 * One line saying why a receiver refused a notification, read from its problem+json body
 * (this package's shape: code + issues; Prism's: title + validation), else the body's start.
 */
const MAX = 300;

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX ? `${line.slice(0, MAX - 1)}…` : line;
};

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  issues?: { path?: string; message?: string }[];
  validation?: { location?: string[]; message?: string }[];
}

export function describeResponse(body: string): string {
  let problem: Problem;
  try {
    problem = JSON.parse(body) as Problem;
  } catch {
    return oneLine(body);
  }
  if (typeof problem !== "object" || problem === null) return oneLine(body);
  if (Array.isArray(problem.issues) && problem.issues.length > 0) {
    const issues = problem.issues.map((i) => `${i.path === "" ? "(root)" : (i.path ?? "")} ${i.message ?? ""}`.trim());
    return oneLine(`${problem.code ?? problem.title ?? "rejected"}: ${issues.join("; ")}`);
  }
  if (Array.isArray(problem.validation) && problem.validation.length > 0) {
    return oneLine(`${problem.title ?? "rejected"}: ${problem.validation.map((v) => v.message ?? "").join("; ")}`);
  }
  return oneLine([problem.code ?? problem.title, problem.detail].filter(Boolean).join(": ") || body);
}
