@verified @must-fail
Feature: Credential checks that must fail
  `tests/must_fail.rs` requires each scenario to fail at the step its `# expect-failure:`
  comment names, with that message.

  Background:
    Given the verified API

  # expect-failure: the brand revokes what it issued to "nobody-{uuid}@example.com" :: revoking what the brand issued answered 404
  Scenario: MUST FAIL - revoking for someone the brand issued nothing to
    When the brand revokes what it issued to "nobody-{uuid}@example.com"
