"""Who may do what through the API: anyone reads; writes and review follow Django's model permissions.

A write needs an active staff user holding the permission the admin asks for the same act
(each viewset's ``action_permissions``: e.g. verifying a statement is
``quotes.change_statement``, submitting an article ``quotes.add_article``); an action not
listed there is refused to everyone but superusers. The duplicates review queue is staff's,
reads included (``quotes.view_duplicatecandidate`` or the change permission, as in the admin).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def _has_action_permissions(request, view) -> bool:
    """Whether the user holds every permission the view lists for this action (none listed: no)."""
    if view.action is None:
        return True  # a method the view does not have: DRF answers 405
    needed = getattr(view, "action_permissions", {}).get(view.action)
    if needed is None:
        return request.user.is_superuser
    return all(_has(request.user, perm) for perm in needed)


def _has(user, perm: str) -> bool:
    """``user.has_perm(perm)``; a view permission is also granted by the change one, as in the admin."""
    return user.has_perm(perm) or (".view_" in perm and user.has_perm(perm.replace(".view_", ".change_")))


class StaffWithModelPermissionsOrReadOnly(BasePermission):
    """Safe methods for everyone; others for active staff with the action's model permissions."""

    message = "Writing requires an authenticated staff user with the permission for it."
    anonymous_reads = True  # for the schema (quotes.api.schema): reads need no credentials

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return _is_staff(request.user) and _has_action_permissions(request, view)


class StaffWithModelPermissions(BasePermission):
    """Active staff with the action's model permissions, reads included (the duplicates queue)."""

    message = "This requires an authenticated staff user with the permission for it."

    def has_permission(self, request, view) -> bool:
        return _is_staff(request.user) and _has_action_permissions(request, view)
