"""The desk: what editors and contributors use. (Being built; see the desk issue notes.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from newsdesk.stories import queries


@login_required
def story_list(request):
    return render(request, "desk/story_list.html", {"stories": queries.desk_stories(request.user)})
