// What another site would serve, behind a facade (see presse/embeds.py): a video, chart
// or map, or an image hosted elsewhere, is loaded only when the reader asks for it, so
// that opening an article makes no request to another site and lets it set no cookie.
// The buttons are hidden until this script runs; without JavaScript the links open the
// original.
function loadPlayer(figure) {
  const frame = document.createElement("iframe");
  frame.src = figure.dataset.embedSrc;
  frame.title = figure.dataset.embedTitle;
  frame.className = "embed__frame";
  frame.allow = "fullscreen; picture-in-picture; encrypted-media";
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.setAttribute("allowfullscreen", "");
  figure.querySelector(".embed__facade").replaceWith(frame);
  figure.classList.add("embed--loaded");
  frame.focus();
}

function loadImage(holder) {
  const image = document.createElement("img");
  image.src = holder.dataset.remoteSrc;
  image.alt = holder.dataset.remoteAlt;
  image.className = "remote-image__img";
  holder.replaceWith(image);
}

function offer(holder, selector, address, load) {
  if (!address.startsWith("https://") && !address.startsWith("http://")) return;
  const button = holder.querySelector(selector);
  button.hidden = false;
  button.addEventListener("click", () => load(holder), { once: true });
}

for (const figure of document.querySelectorAll("figure.embed[data-embed-src]")) {
  offer(figure, ".embed__play", figure.dataset.embedSrc, loadPlayer);
}
for (const holder of document.querySelectorAll(".remote-image[data-remote-src]")) {
  offer(holder, ".remote-image__show", holder.dataset.remoteSrc, loadImage);
}
