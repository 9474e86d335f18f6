"""What keeps a public line usable under floods and trolls: a line's own start limits, fair
use per device, blocked visitors, a proof-of-work challenge, and the count of refused starts."""
