import { invalidParameterValue } from './errors.ts';

/** DB instance identifiers: 1 to 63 letters, digits or hyphens, starting with a letter, no trailing or doubled hyphen. */
export function checkInstanceIdentifier(id: string): string {
  if (!/^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/.test(id) || id.endsWith('-')) {
    throw invalidParameterValue(
      'The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  // RDS stores identifiers in lower case ("DBInstanceIdentifier", CreateDBInstance).
  return id.toLowerCase();
}

/** MySQL and MariaDB master passwords: 8 to 41 printable ASCII characters other than / @ " and space. The password never enters a message. */
export function checkMasterPassword(password: string | undefined): string {
  if (password === undefined || password === '') {
    throw invalidParameterValue('The parameter MasterUserPassword must be provided and must not be blank.');
  }
  if (password.length < 8) {
    throw invalidParameterValue('The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.');
  }
  if (password.length > 41) {
    throw invalidParameterValue('The parameter MasterUserPassword is not a valid password because it is longer than 41 characters.');
  }
  if (!/^[\x21-\x7e]+$/.test(password) || /[/@"]/.test(password)) {
    throw invalidParameterValue("The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.");
  }
  return password;
}

/** MySQL master user names: 1 to 16 letters, digits or underscores, starting with a letter. */
export function checkMasterUsername(name: string | undefined): string {
  if (name === undefined || name === '') {
    throw invalidParameterValue('The parameter MasterUsername must be provided and must not be blank.');
  }
  if (!/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(name)) {
    throw invalidParameterValue('MasterUsername must begin with a letter, contain only alphanumeric characters and underscores, and be 1 to 16 characters long.');
  }
  return name;
}

/** MySQL database names on RDS: 1 to 64 letters, digits or underscores, starting with a letter. */
export function checkDBName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw invalidParameterValue('DBName must begin with a letter and contain only alphanumeric characters.');
  }
  return name;
}
