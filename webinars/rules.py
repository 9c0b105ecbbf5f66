"""Permissions on webinars. Staff run webinars and see registrants; nobody else sees a registrant list.
A registrant acts on their own registration through the signed link emailed to them (the link is the
credential, so those views ask no rule)."""

import rules

from initiative.rules import is_implementation_staff

rules.add_perm("webinars.register", rules.always_allow)
rules.add_perm("webinars.manage_webinar", is_implementation_staff)
rules.add_perm("webinars.view_registrants", is_implementation_staff)
