/** A lab palisade can deploy and replay: one template, its outputs, and a walkthrough that checks the lab's outcomes. */
export interface LabDefinition {
  name: string;
  title: string;
  /** Stack name `palisade up` deploys the lab as. */
  stackName: string;
  /** Absolute path of the CloudFormation/SAM template. */
  templatePath: string;
  /** Output keys in the order `palisade up` prints them; others follow. */
  outputOrder: string[];
  /** Replay the lab on a fresh palisade of its own; resolves true when every step matched. */
  walkthrough(report: (line: string) => void): Promise<boolean>;
}
