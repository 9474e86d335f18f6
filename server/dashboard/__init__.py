"""The admin dashboard (figures computed in SQL, drawn as inline SVG) and the audit log page."""
