"""The demo's people who act: per township two window clerks and the center head (admin users
in the township's groups) and, in its first villages, village agents (public-site users).

Usernames are fixed (``clerk-511602101-1``, ``clerk-511602101-2``, ``head-511602101``,
``agent-511602101201``); names are those the site already shows (the windows' duty roster, the
township's center head, the village station's agent). Passwords are unusable: the administrator
sets one in the admin before anyone signs in as these users (docs/demo.md). Existing users are
found again by username and never changed, except that a missing group membership is added.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from guides.demo import people
from guides.models import TownshipGroup, TownshipRoleKind
from guides.permissions import ensure_township_access

from ..models import VillageAgent

CLERKS_PER_TOWNSHIP = 2
# Window number and duty slot whose person each clerk is (guides.demo.places.ensure_windows).
CLERK_DUTIES = [("1", 0), ("2", 0)]
AGENT_VILLAGES = 2  # the first N villages (in code order) of each township have an agent


@dataclass
class Staff:
    clerks: list
    head: object


def clerk_username(township_code, number):
    return f"clerk-{township_code}-{number}"


def head_username(township_code):
    return f"head-{township_code}"


def agent_username(village_code):
    return f"agent-{village_code}"


def _ensure_user(username, full_name):
    """The user ``username``, created with ``full_name`` and an unusable password if missing.

    The whole Chinese name goes in ``first_name`` so that ``get_full_name()`` reads “王建华”.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create(
            username=username, first_name=full_name, password=make_password(None)
        )
    return user


def _role_groups(township):
    links = {
        link.role: link.group
        for link in TownshipGroup.objects.filter(township=township).select_related("group")
    }
    if TownshipRoleKind.CLERK not in links or TownshipRoleKind.HEAD not in links:
        access = ensure_township_access(township)
        links = dict(access.groups)
    return links


def ensure_staff(township):
    """The township's demo clerks and center head, in its clerk and head groups."""
    code = township.code
    groups = _role_groups(township)
    clerks = []
    for number, (window, slot) in enumerate(CLERK_DUTIES[:CLERKS_PER_TOWNSHIP], start=1):
        name = people.person_name("duty", code, window, slot)
        clerks.append(_ensure_user(clerk_username(code, number), name))
    head = _ensure_user(
        head_username(code), township.center_head or people.person_name("head", code)
    )
    clerk_group, head_group = groups[TownshipRoleKind.CLERK], groups[TownshipRoleKind.HEAD]
    for user in clerks:
        user.groups.add(clerk_group)  # idempotent: an existing membership is kept
    head.groups.add(head_group)
    return Staff(clerks=clerks, head=head)


def ensure_agents(villages):
    """A ``VillageAgent`` (and its user) for each of ``villages``; village pk → agent."""
    existing = {
        a.village_id: a
        for a in VillageAgent.objects.filter(village__in=villages).select_related("user")
    }
    agents = {}
    for village in villages:
        agent = existing.get(village.pk)
        if agent is None:
            name = village.agent_name or people.person_name("agent", village.code)
            user = _ensure_user(agent_username(village.code), name)
            agent = VillageAgent.objects.filter(user=user).first() or VillageAgent.objects.create(
                user=user,
                village=village,
                name=name,
                phone=village.agent_phone or people.mobile("agent", village.code),
            )
        agents[village.pk] = agent
    return agents
