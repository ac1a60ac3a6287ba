from django.contrib.auth import views as auth_views
from django.urls import path

from newsdesk.desk.login import DeskLoginView
from newsdesk.desk.views import (
    catalogue,
    editor,
    live,
    photos,
    preview,
    redirects,
    review,
    stories,
    translations,
    wires,
)

app_name = "desk"

urlpatterns = [
    path("login/", DeskLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", stories.story_list, name="story_list"),
    path("stories/rows/", stories.story_rows, name="story_rows"),
    path("quick-post/", stories.quick_post, name="quick_post"),
    path("preview/", preview.preview, name="preview"),
    path("stories/new/", editor.story_new, name="story_new"),
    path("stories/new/autosave/", editor.autosave_new, name="autosave_new"),
    path("stories/<id:story_id>/", editor.story_edit, name="story_edit"),
    path("stories/<id:story_id>/presence/", editor.presence_heartbeat, name="presence"),
    path("stories/<id:story_id>/do/", editor.story_state, name="story_state"),
    path("stories/<id:story_id>/autosave/", editor.autosave, name="autosave"),
    path("stories/<id:story_id>/revisions/diff/", editor.revision_diff, name="revision_diff"),
    path("stories/<id:story_id>/notes/", editor.add_note, name="add_note"),
    path("stories/<id:story_id>/translate/", translations.translate, name="translate"),
    path("settings/", translations.desk_settings, name="settings"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/count/", review.review_count, name="review_count"),
    path(
        "stories/<id:story_id>/revisions/<id:number>/",
        editor.revision_detail,
        name="revision",
    ),
    path(
        "stories/<id:story_id>/revisions/<id:number>/restore/",
        editor.restore,
        name="restore",
    ),
    path("live/", live.live_list, name="live_list"),
    path("live/<id:coverage_id>/", live.live_desk, name="live_desk"),
    path("live/<id:coverage_id>/post/", live.live_post, name="live_post"),
    path("live/<id:coverage_id>/end/", live.live_end, name="live_end"),
    path("live/entries/<id:entry_id>/do/", live.live_entry_action, name="live_entry_action"),
    path("photos/", photos.photo_list, name="photo_list"),
    path("photos/pick/", photos.photo_picker, name="photo_picker"),
    path("photos/<id:image_id>/", photos.photo_detail, name="photo_detail"),
    path("authors/", catalogue.author_list, name="author_list"),
    path("authors/new/", catalogue.author_edit, name="author_new"),
    path("authors/<id:author_id>/", catalogue.author_edit, name="author_edit"),
    path("topics/", catalogue.topic_list, name="topic_list"),
    path("topics/new/", catalogue.topic_edit, name="topic_new"),
    path("topics/<id:topic_id>/", catalogue.topic_edit, name="topic_edit"),
    path("redirects/", redirects.redirect_list, name="redirect_list"),
    path("redirects/<id:redirect_id>/delete/", redirects.redirect_delete, name="redirect_delete"),
    path("wires/", wires.wire_list, name="wire_list"),
    path("wires/stamp/", wires.wire_stamp, name="wire_stamp"),
    path("wires/<id:item_id>/", wires.wire_item, name="wire_item"),
    path("wires/<id:item_id>/use/", wires.wire_use, name="wire_use"),
    path("wires/sources/new/", wires.wire_source_add, name="wire_source_add"),
    path(
        "wires/sources/<id:source_id>/hidden/", wires.wire_source_hidden, name="wire_source_hidden"
    ),
]
