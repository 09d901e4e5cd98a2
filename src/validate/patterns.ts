// Validate: plain-words explanations of the platform's regular expressions, for schema error messages.

/** Known patterns (as written in schemas/) and what they ask for. */
const EXPLAINED: Record<string, string> = {
  '^\\S+$': 'a non-empty value without spaces',
  '^\\S.*$': 'a value that does not start with a space',
  '\\S': 'a value that is not blank',
  '^[a-z][a-z0-9\\-]{1,30}[a-z0-9]$': '3 to 32 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9\\-]{1,34}[a-z0-9]$': '3 to 36 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9\\-]{1,33}[a-z0-9]$': '3 to 35 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9\\-]{1,71}[a-z0-9]$': '3 to 73 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9-]{1,62}[a-z0-9]$': '3 to 64 characters: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9\\-_]{1,62}[a-z0-9]$': '3 to 64 characters: lowercase letters, digits, "-" and "_", starting with a letter and ending with a letter or digit',
  '^[a-zA-Z](?:[a-zA-Z0-9\\-._]{0,60}[a-zA-Z0-9])$': '2 to 62 characters: letters, digits, "-", "." and "_", starting with a letter and ending with a letter or digit (no "/")',
  '^[a-zA-Z](?:[a-zA-Z0-9\\-]{0,60}[a-zA-Z0-9])$': '2 to 62 characters: letters, digits and "-", starting with a letter and ending with a letter or digit',
  '^[A-Za-z{}][A-Za-z0-9{}._-]{0,60}[A-Za-z0-9{}._]$': '2 to 62 characters: letters, digits, "-", ".", "_", "{" and "}", not ending with "-"',
  '^[a-zA-Z][a-zA-Z0-9_-]{1,34}[a-zA-Z0-9]$': '3 to 36 characters: letters, digits, "-" and "_", starting with a letter and ending with a letter or digit',
  '^(?!.*--)[a-z][a-z0-9-]{3,48}[a-z0-9]$': '5 to 50 characters: lowercase letters, digits and "-" (never "--"), starting with a letter and ending with a letter or digit',
  '^[a-z](?:[a-z0-9]|-(?!-)){1,34}[a-z0-9]$': '3 to 36 characters: lowercase letters, digits and single "-", starting with a letter and ending with a letter or digit',
  '^[a-z](?:[a-z0-9]|-(?!-)){1,30}[a-z0-9]$': '3 to 32 characters: lowercase letters, digits and single "-", starting with a letter and ending with a letter or digit',
  '^[a-z][a-z0-9\\-]{1,34}[a-z0-9]/[a-z][a-z0-9\\-]{1,34}[a-z0-9]$': '"<group>/<server>", each part 3 to 36 lowercase letters, digits and "-"',
  '^https?:\\/\\/[^\\s\\/]+(\\/[^\\s\\/]*)*[^\\/\\s]$': 'an http:// or https:// URL without spaces that does not end with "/"',
  '^https?:\\/\\/[^\\s]+$': 'an http:// or https:// URL without spaces',
  '^https?:\\/\\/\\S+$': 'an http:// or https:// URL without spaces',
  '^https?://[^\\s]+$': 'an http:// or https:// URL without spaces',
  '^(https?://)\\S+$': 'an http:// or https:// URL without spaces',
  '^https:\\/\\/(([a-zA-Z0-9-]{1,63}\\.)+[a-zA-Z]{2,63})(\\/[^\\s]*)?$': 'an https:// URL on a DNS host name (no IP address, no port)',
  '^\\d{4}-\\d{2}-\\d{2}$': 'a date written yyyy-mm-dd',
  '^#[a-z0-9\\-_]{2,80}$': 'a Slack channel: "#" then 2 to 80 lowercase letters, digits, "-" or "_"',
  '^[!#$%&\'*+.^_`|~0-9A-Za-z-]{1,128}$': 'an HTTP header token: 1 to 128 letters, digits or !#$%&\'*+.^_`|~-',
  '^arn:(aws|aws-us-gov|aws-cn):iam::[0-9]{12}:role(/[\\w+=,.@-]+)+$': 'an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
};

export function explainPattern(pattern: string): string {
  return EXPLAINED[pattern] ?? `text matching the pattern ${pattern}`;
}
