"""Who may do what through the API: anyone reads, staff write; the review queue is staff's."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class IsStaffOrReadOnly(BasePermission):
    """Allow safe methods to everyone and other methods to active staff users."""

    message = "Writing requires an authenticated staff user."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or _is_staff(request.user)


class IsStaff(BasePermission):
    """Allow active staff users only, reads included (the duplicates review queue)."""

    message = "This requires an authenticated staff user."

    def has_permission(self, request, view) -> bool:
        return _is_staff(request.user)
