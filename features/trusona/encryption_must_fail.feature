@trusona @must-fail
Feature: Encryption checks that must fail
  Each scenario breaks one encryption check on purpose. `tests/must_fail.rs` runs them alone
  and passes only if every one of them fails: the decryption steps can tell a wrong key.

  Background:
    Given the trusona API
    And I generate an X25519 key pair as business_key
    And I generate an X25519 key pair as someone_else
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT", "publicWebKey": {business_key}}
      """

  Scenario: MUST FAIL - decrypting with a key the JWE is not for
    When I decrypt "$.encryptedVerification" with the key someone_else

  Scenario: MUST FAIL - the right key said not to decrypt
    Then decrypting "$.encryptedVerification" with the key business_key fails

  Scenario: MUST FAIL - a value that is not a JWE
    When I decrypt "$.id" with the key business_key
