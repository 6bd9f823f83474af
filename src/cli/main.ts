import { parseArgs, UsageError } from './args.ts';
import { runUp } from './up.ts';
import { runOutputs, runCredentials, runMail, runTrace } from './inspect.ts';
import { runLab } from './lab.ts';
import { runWaf } from './waf.ts';

const USAGE = `usage: palisade <command> [options]

commands:
  up                            start palisade, deploy lab api-security and serve until Ctrl-C
  outputs <stack> [--json]      print a stack's outputs (needs palisade running)
  credentials [--json]          print the endpoint, region, account and access key to use
  mail [--json]                 print the messages user pools have sent
  trace [--trace-id ID] [--json]  print the newest request-trace entries (needs palisade running)
  lab walkthrough <lab>         replay a lab on a fresh palisade of its own and check each outcome
  waf evaluate <file> (--request "METHOD /path?query" [--header "Name: value"]... | --requests FILE)
                [--scope REGIONAL|CLOUDFRONT] [--resource LOGICAL_ID] [--json]
                                evaluate a web ACL (get-web-acl output, a WebACL object or a
                                CloudFormation AWS::WAFv2::WebACL) against requests, without a server;
                                FILE is a JSON or YAML list of {method, path, headers, body, clientIp}

options:
  --port N          port of the AWS endpoint (default 4566, or PALISADE_PORT); each CloudFront
                    distribution gets the first free port above it, kept across restarts
  --state-dir DIR   state directory (default .palisade, or PALISADE_STATE_DIR)`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.flags.help || args.flags.h) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const [command, ...rest] = args.positional;
  const sub = { ...args, positional: rest };
  switch (command) {
    case 'up':
      return runUp(sub);
    case 'outputs':
      return runOutputs(sub);
    case 'credentials':
      return runCredentials(sub);
    case 'mail':
      return runMail(sub);
    case 'trace':
      return runTrace(sub);
    case 'lab':
      return runLab(sub);
    case 'waf':
      return runWaf(sub);
    case undefined:
    case 'help':
      process.stdout.write(USAGE + '\n');
      return command === 'help' ? 0 : 2;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`palisade: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`palisade: ${(error as Error)?.message ?? error}\n`);
    process.exitCode = 1;
  },
);
