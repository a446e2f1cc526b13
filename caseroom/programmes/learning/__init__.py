"""Learning results: module tests, a session's rounds, participants' tests on phones, gains."""
