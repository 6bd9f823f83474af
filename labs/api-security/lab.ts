import { fileURLToPath } from 'node:url';
import type { LabDefinition } from '../lab.ts';

/** Lab "Multilayered API Security with Cognito and WAF" (AWS Well-Architected security lab, level 300). */
export const apiSecurityLab: LabDefinition = {
  name: 'api-security',
  title: 'Multilayered API Security with Cognito and WAF',
  stackName: 'walab-api-security',
  templatePath: fileURLToPath(new URL('./template.yaml', import.meta.url)),
  outputOrder: [
    'CloudFrontEndpoint',
    'APIGatewayURL',
    'CognitoUserPoolID',
    'CognitoAppClientID',
    'CognitoSignupURL',
    'OriginVerifyHeaderName',
    'OriginVerifyHeader',
    'WAFWebACLR',
    'WAFWebACLG',
    'RDSMysqlSecret',
  ],
  async walkthrough(report) {
    const { runWalkthrough } = await import('./walkthrough.ts');
    return runWalkthrough(report);
  },
};
