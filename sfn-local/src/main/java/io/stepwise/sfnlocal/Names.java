package io.stepwise.sfnlocal;

import java.util.regex.Pattern;

/**
 * AWS's rules for names and ARNs. A state machine or execution name is 1 to 80 characters with no
 * whitespace, brackets ({@code < > { } [ ]}), wildcards ({@code ? *}), the characters {@code " # %
 * \ ^ | ~ ` $ & , ; : /} or control characters: anything else is {@code InvalidName}. An ARN that
 * is not a Step Functions ARN of the expected resource type is {@code InvalidArn} (a well-formed
 * ARN of nothing is {@code *DoesNotExist}).
 */
final class Names {

  private static final Pattern FORBIDDEN =
      Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");
  private static final int MAX = 80;

  private Names() {}

  static void requireValid(String name, String what) {
    if (name == null || name.isEmpty() || name.length() > MAX || FORBIDDEN.matcher(name).find()) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidName",
          "Invalid Name: '"
              + name
              + "' (a "
              + what
              + " name is 1 to "
              + MAX
              + " characters without whitespace, brackets, wildcards or any of \" # % \\ ^ | ~ ` $ & , ; : /)");
    }
  }

  /**
   * {@code stateMachine}: arn:aws:states:region:account:stateMachine:name; {@code execution}:
   * ...:execution:machine:name.
   */
  static String requireArn(String arn, String type) {
    String[] parts = arn == null ? new String[0] : arn.split(":", -1);
    boolean ok =
        parts.length >= 7
            && parts[0].equals("arn")
            && parts[1].startsWith("aws")
            && parts[2].equals("states")
            && parts[3].matches("[a-z]{2}(-[a-z]+)+-\\d")
            && parts[4].matches("\\d{12}")
            && parts[5].equals(type)
            && !parts[6].isEmpty()
            && (type.equals("execution")
                ? parts.length == 8 && !parts[7].isEmpty()
                : parts.length <= 8);
    if (!ok) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidArn", "Invalid Arn: '" + arn + "' is not a valid " + type + " ARN");
    }
    return arn;
  }
}
