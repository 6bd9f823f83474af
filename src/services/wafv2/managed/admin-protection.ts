import { DECODE_LOWER, URI_PATH } from './statements.ts';
import type { ManagedRuleGroup } from './types.ts';

/** Path segments reserved for administering a server or application (AWS gives sqlmanager as the example). */
const ADMIN_SEGMENTS = new Set([
  'admin', 'administrator', 'admin.php', 'admin.aspx', 'wp-admin', 'wp-login.php', 'phpmyadmin', 'pma', 'sqlmanager', 'mysqladmin',
  'adminer', 'adminer.php', 'cpanel', 'webadmin', 'siteadmin', 'manager', 'jmx-console', 'web-console', 'admin-console', 'controlpanel',
]);

/**
 * AWSManagedRulesAdminProtectionRuleSet, "Admin protection managed rule
 * group" (AWS WAF Developer Guide, Baseline rule groups): WCU 100, one rule,
 * label `awswaf:managed:aws:admin-protection:AdminProtection_URIPath`.
 * palisade's rule: a path segment, decoded and lower-cased, is one of
 * ADMIN_SEGMENTS.
 */
export const ADMIN_PROTECTION_RULE_SET: ManagedRuleGroup = {
  VendorName: 'AWS',
  Name: 'AWSManagedRulesAdminProtectionRuleSet',
  Description: 'Contains rules that allow you to block external access to exposed admin pages.',
  Capacity: 100,
  LabelNamespace: 'awswaf:managed:aws:admin-protection:',
  Versions: ['Version_1.0'],
  Rules: [
    {
      Name: 'AdminProtection_URIPATH',
      Label: 'AdminProtection_URIPath',
      Component: {
        FieldToMatch: URI_PATH,
        TextTransformations: [...DECODE_LOWER, { Priority: 4, Type: 'NORMALIZE_PATH_WIN' }],
        test: (value) => value.split('/').some((segment) => ADMIN_SEGMENTS.has(segment)),
      },
    },
  ],
};
