import { DataError, type DataIssue } from '../errors.js';

const MAX_LISTED_ISSUES = 20;

function formatIssue(issue: DataIssue): string {
  const column = issue.column === undefined ? '' : ` column ${issue.column}`;
  const value = issue.value === undefined ? '' : ` value "${issue.value}"`;
  return `line ${issue.line}${column}${value}: ${issue.message}`;
}

/**
 * One `INVALID_DATA` error for every problem of a file: the first 20 listed in the message (line,
 * column, value, what is wrong), all of them in `issues`; `unread` says the file was not read to
 * its end (too many problems to keep).
 */
export function invalidData(file: string, issues: DataIssue[], unread = false): DataError {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map(formatIssue);
  const more =
    issues.length > MAX_LISTED_ISSUES ? `\n  … and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  const stopped = unread ? ' (reading stopped there)' : '';
  return new DataError({
    code: 'INVALID_DATA',
    message: `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}${stopped}:\n  ${listed.join('\n  ')}${more}`,
    issues,
    source: file,
  });
}
