// Types for the plain-JS rule so TypeScript tests can import it without allowJs.
import type { Rule } from 'eslint';

export declare function looksLikeSql(text: string): boolean;
declare const rule: Rule.RuleModule;
export default rule;
