"""Web forms of posts: they check the shape of input only; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from glimpse.core.errors import GlimpseError
from glimpse.posts.models import Post
from glimpse.posts.services import UNSET, ItemSpec, PlaceSpec, Unset
from glimpse.posts.services.specs import PlaceInput

# Generous caps against absurd input; the real limits are the services' to enforce.
_TEXT_MAX = 50_000


class PostEditForm(forms.Form):
    """Edit a published post: caption, place, each item's alt text, and two switches."""

    caption = forms.CharField(
        required=False,
        strip=False,
        max_length=_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "data-counter": "caption-counter"}),
        help_text="Hashtags (#) and mentions (@) are linked.",
    )
    place_name = forms.CharField(
        label="Name", required=False, max_length=1000, help_text="Leave empty for no location."
    )
    place_address = forms.CharField(label="Address", required=False, max_length=2000)
    comments_enabled = forms.BooleanField(
        label="Allow comments",
        required=False,
        help_text="When off, nobody can add comments.",
    )
    hide_like_count = forms.BooleanField(
        label="Hide the like count",
        required=False,
        help_text="Only you see how many people liked this post.",
    )

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        self.post = post
        place = post.place
        kwargs.setdefault(
            "initial",
            {
                "caption": post.caption,
                "place_name": place.name if place else "",
                "place_address": place.address if place else "",
                "comments_enabled": post.comments_enabled,
                "hide_like_count": post.hide_like_count,
            },
        )
        for item in post.items.all():
            kwargs["initial"].setdefault(f"alt_{item.media_id}", item.alt_text)
        super().__init__(*args, **kwargs)
        caption = self.fields["caption"]
        caption.widget.attrs["maxlength"] = str(settings.GLIMPSE_CAPTION_MAX)
        self.items = list(post.items.all())
        for position, item in enumerate(self.items, start=1):
            kind = "video" if item.media.kind == "video" else "photo"
            self.fields[f"alt_{item.media_id}"] = forms.CharField(
                label=f"Alt text of {kind} {position}",
                required=False,
                max_length=_TEXT_MAX,
                widget=forms.Textarea(
                    attrs={"rows": 2, "maxlength": str(settings.GLIMPSE_ALT_TEXT_MAX)}
                ),
            )

    def alt_fields(self) -> list[tuple[Any, forms.BoundField]]:
        """Return each item with its alt text field, in the post's order."""
        return [(item, self[f"alt_{item.media_id}"]) for item in self.items]

    def place_input(self) -> PlaceInput | Unset:
        """Return the place to set: unchanged, none, or a spec to find or create."""
        name = " ".join(self.cleaned_data["place_name"].split())
        address = " ".join(self.cleaned_data["place_address"].split())
        current = self.post.place
        if not name:
            return None if current is not None else UNSET
        if current is not None and (name, address) == (current.name, current.address):
            return UNSET
        return PlaceSpec(name=name, address=address)

    def item_specs(self) -> dict[int, ItemSpec] | Unset:
        """Return the alt texts that changed, by media id."""
        changed = {
            item.media_id: ItemSpec(alt_text=self.cleaned_data[f"alt_{item.media_id}"])
            for item in self.items
            if self.cleaned_data[f"alt_{item.media_id}"] != item.alt_text
        }
        return changed or UNSET

    def apply_error(self, error: GlimpseError) -> None:
        """Show a service error next to its field, the rest on top."""
        placed = False
        for path, messages in error.fields.items():
            name = self._field_of(path)
            for message in messages:
                self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)

    def _field_of(self, path: str) -> str | None:
        parts = path.split(".")
        if parts[0] == "caption":
            return "caption"
        if parts[0] == "place":
            return "place_address" if parts[-1] == "address" else "place_name"
        if parts[0] == "items" and len(parts) > 1 and f"alt_{parts[1]}" in self.fields:
            return f"alt_{parts[1]}"
        return None
