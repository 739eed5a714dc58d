"""Who may do what through the API: anyone reads, staff write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsStaffOrReadOnly(BasePermission):
    """Allow safe methods to everyone and other methods to active staff users."""

    message = "Writing requires an authenticated staff user."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)
