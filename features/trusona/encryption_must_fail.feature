@trusona @must-fail
Feature: Encryption checks that must fail
  Each scenario breaks one encryption check on purpose. `tests/must_fail.rs` runs them alone
  and requires each to fail at the step its `# expect-failure:` comment names, with that
  message: the decryption steps can tell a wrong key.

  Background:
    Given the trusona API
    And I generate an X25519 key pair as business_key
    And I generate an X25519 key pair as someone_else
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT", "publicWebKey": {business_key}}
      """

  # expect-failure: I decrypt "$.encryptedVerification" with the key someone_else :: does not decrypt with the key someone_else: AES-GCM authentication failed
  Scenario: MUST FAIL - decrypting with a key the JWE is not for
    When I decrypt "$.encryptedVerification" with the key someone_else

  # expect-failure: decrypting "$.encryptedVerification" with the key business_key fails :: decrypts with the key business_key, expected it not to
  Scenario: MUST FAIL - the right key said not to decrypt
    Then decrypting "$.encryptedVerification" with the key business_key fails

  # expect-failure: I decrypt "$.id" with the key business_key :: a compact JWE has 5 parts separated by `.`, this has 1
  Scenario: MUST FAIL - a value that is not a JWE
    When I decrypt "$.id" with the key business_key
