enum KubeletPlaceholder {}
