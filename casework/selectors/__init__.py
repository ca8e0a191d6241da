from casework.selectors.organisation import membership_list_for_user, user_roles

__all__ = ["membership_list_for_user", "user_roles"]
