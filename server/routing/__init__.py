"""Who answers: listener presence and capacity, and automatic assignment."""
