"""Live conversations: lifecycle, messages, the real-time protocol and its timers."""
